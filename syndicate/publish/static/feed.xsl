<?xml version="1.0" encoding="UTF-8"?>
<!-- Turns an RSS 2.0 or Atom feed into a readable page when a person opens
     it in a browser. Feed readers ignore the xml-stylesheet instruction. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    exclude-result-prefixes="atom dc content">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="lang">
    <xsl:choose>
      <xsl:when test="/rss/channel/language"><xsl:value-of select="/rss/channel/language"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="/atom:feed/@xml:lang"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="vi" select="starts-with($lang, 'vi')"/>

  <xsl:template match="/">
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="/rss/channel/title | /atom:feed/atom:title"/></title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
          .about { background: #f3f6fa; border-left: 4px solid #2a6ebb; padding: .75rem 1rem; }
          .about code { word-break: break-all; }
          article { border-bottom: 1px solid #ddd; padding: 1rem 0; }
          h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
          .meta { color: #666; font-size: .9rem; }
          .mt { color: #8a6d00; font-size: .9rem; }
        </style>
      </head>
      <body>
        <xsl:apply-templates select="rss/channel | atom:feed"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="about">
    <xsl:param name="self"/>
    <p class="about">
      <xsl:choose>
        <xsl:when test="$vi">Đây là nguồn tin (web feed). Sao chép địa chỉ <code><xsl:value-of select="$self"/></code> vào trình đọc tin để theo dõi.</xsl:when>
        <xsl:otherwise>This is a web feed. Copy its address <code><xsl:value-of select="$self"/></code> into a feed reader to subscribe.</xsl:otherwise>
      </xsl:choose>
    </p>
  </xsl:template>

  <xsl:template name="nav">
    <xsl:param name="home"/>
    <p class="nav">
      <a href="{$home}">
        <xsl:choose>
          <xsl:when test="$vi">Tất cả tin và nguồn tin</xsl:when>
          <xsl:otherwise>All news and feeds</xsl:otherwise>
        </xsl:choose>
      </a>
    </p>
  </xsl:template>

  <xsl:template name="mt-label">
    <xsl:choose>
      <xsl:when test="$vi">Bản dịch máy từ tiếng Anh</xsl:when>
      <xsl:otherwise>Machine translation from Vietnamese</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="channel">
    <h1><xsl:value-of select="title"/></h1>
    <p><xsl:value-of select="description"/></p>
    <xsl:call-template name="about">
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
    </xsl:call-template>
    <xsl:call-template name="nav">
      <xsl:with-param name="home" select="link"/>
    </xsl:call-template>
    <xsl:for-each select="item">
      <article>
        <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
        <p class="meta">
          <xsl:value-of select="substring(pubDate, 1, 16)"/>
          <xsl:if test="dc:creator"> · <xsl:value-of select="dc:creator"/></xsl:if>
        </p>
        <!-- syndicate's content:encoded opens a translation with this notice. -->
        <xsl:if test="contains(content:encoded, 'class=&quot;machine-translation&quot;')">
          <p class="mt"><xsl:call-template name="mt-label"/></p>
        </xsl:if>
        <p><xsl:value-of select="description"/></p>
      </article>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="atom:feed">
    <h1><xsl:value-of select="atom:title"/></h1>
    <p><xsl:value-of select="atom:subtitle"/></p>
    <xsl:call-template name="about">
      <xsl:with-param name="self" select="atom:link[@rel='self']/@href"/>
    </xsl:call-template>
    <xsl:call-template name="nav">
      <xsl:with-param name="home" select="atom:link[@rel='alternate'][1]/@href"/>
    </xsl:call-template>
    <xsl:for-each select="atom:entry">
      <article>
        <h2><a href="{(atom:link[@rel='alternate' or not(@rel)])[1]/@href}"><xsl:value-of select="atom:title"/></a></h2>
        <p class="meta">
          <xsl:value-of select="substring(atom:published | atom:updated[not(../atom:published)], 1, 10)"/>
          <xsl:if test="atom:author/atom:name"> · <xsl:value-of select="atom:author/atom:name"/></xsl:if>
        </p>
        <!-- A translation links its original with rel="related". -->
        <xsl:for-each select="atom:link[@rel='related'][1]">
          <p class="mt">
            <xsl:call-template name="mt-label"/>
            <xsl:text> · </xsl:text>
            <a href="{@href}" hreflang="{@hreflang}">
              <xsl:choose>
                <xsl:when test="$vi">Xem bản gốc</xsl:when>
                <xsl:otherwise>Read the original</xsl:otherwise>
              </xsl:choose>
            </a>
          </p>
        </xsl:for-each>
        <p><xsl:value-of select="atom:summary"/></p>
      </article>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
